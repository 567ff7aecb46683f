//! Signature strings as Numba writes them: `"int32(int32, int32)"`, `"void(float64[:, ::1])"`,
//! `"(int64, UniTuple(float64 x 2))"` (no return type), and the type names `f.signatures` and
//! `str(type)` print (`array(float64, 2d, C)`, `unaligned array(float64, 1d, C)`,
//! `Tuple(int64, bool)`). Array types written `float64[:]` are aligned, as NumPy's arrays
//! usually are; only the printed name with its `unaligned` prefix declares an unaligned one.

use crate::{ArrayType, Layout, Type};

/// A parsed signature: argument types and, when given, the return type.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Signature {
    pub ret: Option<Type>,
    pub args: Vec<Type>,
}

/// Parses a signature (`"ret(args)"` or `"(args)"`).
pub fn parse_signature(text: &str) -> Result<Signature, String> {
    let mut p = Parser { s: text.as_bytes(), at: 0 };
    p.ws();
    let ret = if p.peek() == Some(b'(') { None } else { Some(p.ty()?) };
    p.expect(b'(')?;
    let args = p.list(b')')?;
    p.ws();
    if p.at != p.s.len() {
        return Err(p.error("unexpected text after the signature"));
    }
    // `void` (or `none`) as the return type means the function returns None.
    Ok(Signature { ret, args })
}

/// Parses one type (`"float64[:, ::1]"`, `"int32"`, `"UniTuple(int64 x 3)"`).
pub fn parse_type(text: &str) -> Result<Type, String> {
    let mut p = Parser { s: text.as_bytes(), at: 0 };
    let t = p.ty()?;
    p.ws();
    if p.at != p.s.len() {
        return Err(p.error("unexpected text after the type"));
    }
    Ok(t)
}

/// Types known by their printed name only, registered when they come to exist: jitclass
/// instance types (`instance.jitclass.Point#3<x:float64,y:float64>`) and their classes, which
/// only the registry can make from a name. Names are unique (they hold the class's identity);
/// of two that match, the longer wins.
static NAMED: std::sync::RwLock<Vec<(String, Type)>> = std::sync::RwLock::new(Vec::new());

/// Makes `ty` parse from its printed name (see `NAMED`).
pub fn register_named_type(ty: Type) {
    let mut named = NAMED.write().unwrap_or_else(|p| p.into_inner());
    named.insert(0, (ty.to_string(), ty));
}

struct Parser<'a> {
    s: &'a [u8],
    at: usize,
}

impl Parser<'_> {
    fn error(&self, what: &str) -> String {
        let text = String::from_utf8_lossy(self.s);
        format!("{what} at column {} of `{text}`", self.at + 1)
    }

    fn ws(&mut self) {
        while self.at < self.s.len() && self.s[self.at].is_ascii_whitespace() {
            self.at += 1;
        }
    }

    fn peek(&mut self) -> Option<u8> {
        self.ws();
        self.s.get(self.at).copied()
    }

    fn eat(&mut self, c: u8) -> bool {
        if self.peek() == Some(c) {
            self.at += 1;
            true
        } else {
            false
        }
    }

    fn expect(&mut self, c: u8) -> Result<(), String> {
        if self.eat(c) {
            Ok(())
        } else {
            Err(self.error(&format!("expected `{}`", c as char)))
        }
    }

    fn word(&mut self) -> String {
        self.ws();
        let start = self.at;
        while self.at < self.s.len() && (self.s[self.at].is_ascii_alphanumeric() || self.s[self.at] == b'_') {
            self.at += 1;
        }
        String::from_utf8_lossy(&self.s[start..self.at]).into_owned()
    }

    fn list(&mut self, close: u8) -> Result<Vec<Type>, String> {
        let mut items = Vec::new();
        if self.eat(close) {
            return Ok(items);
        }
        loop {
            items.push(self.ty()?);
            if self.eat(close) {
                return Ok(items);
            }
            self.expect(b',')?;
            if self.eat(close) {
                return Ok(items);
            }
        }
    }

    /// A registered type whose name starts here (the longest), consumed.
    fn named(&mut self) -> Option<Type> {
        self.ws();
        let rest = &self.s[self.at..];
        if !(rest.starts_with(b"instance.jitclass.") || rest.starts_with(b"class(instance.jitclass.")) {
            return None;
        }
        let named = NAMED.read().unwrap_or_else(|p| p.into_inner());
        // The longest name that matches; of equal ones, the latest registered (the first).
        let mut found: Option<&(String, Type)> = None;
        for entry in named.iter().filter(|(name, _)| rest.starts_with(name.as_bytes())) {
            if found.is_none_or(|f| entry.0.len() > f.0.len()) {
                found = Some(entry);
            }
        }
        let (name, ty) = found?;
        self.at += name.len();
        Some(ty.clone())
    }

    fn ty(&mut self) -> Result<Type, String> {
        if let Some(t) = self.named() {
            return Ok(t);
        }
        // Array prefixes, in either order (Numba prints `unaligned readonly array(...)`).
        let (mut readonly, mut unaligned) = (false, false);
        loop {
            let save = self.at;
            match self.word().as_str() {
                "readonly" if !readonly => readonly = true,
                "unaligned" if !unaligned => unaligned = true,
                _ => {
                    self.at = save;
                    break;
                }
            }
        }
        let t = if self.peek() == Some(b'(') {
            self.at += 1;
            Type::Tuple(self.list(b')')?)
        } else {
            let name = self.word();
            match name.as_str() {
                "" => return Err(self.error("expected a type")),
                "UniTuple" => {
                    self.expect(b'(')?;
                    let item = self.ty()?;
                    if self.word() != "x" {
                        return Err(self.error("expected `x` in `UniTuple(type x count)`"));
                    }
                    let n: usize = self.word().parse().map_err(|_| self.error("expected a count"))?;
                    self.expect(b')')?;
                    Type::Tuple(vec![item; n])
                }
                "Tuple" => {
                    self.expect(b'(')?;
                    Type::Tuple(self.list(b')')?)
                }
                "Record" => self.record()?,
                // `OptionalType(float64)`: `None` or a value of the inner type.
                "OptionalType" => {
                    self.expect(b'(')?;
                    let inner = self.ty()?;
                    self.expect(b')')?;
                    Type::Optional(Box::new(inner))
                }
                // Containers as `Display` prints them: `list(int64)`, `dict(unicode_type, float64)`,
                // `set(int64)`.
                "list" | "set" if self.peek() == Some(b'(') => {
                    self.expect(b'(')?;
                    let item = Box::new(self.ty()?);
                    self.expect(b')')?;
                    if name == "list" {
                        Type::List(item)
                    } else {
                        Type::Set(item)
                    }
                }
                "dict" if self.peek() == Some(b'(') => {
                    self.expect(b'(')?;
                    let key = Box::new(self.ty()?);
                    self.expect(b',')?;
                    let value = Box::new(self.ty()?);
                    self.expect(b')')?;
                    Type::Dict(key, value)
                }
                "datetime64" | "timedelta64" => {
                    // `datetime64[ns]`; a `[` followed by `:` starts array dimensions instead.
                    let unit = if self.peek() == Some(b'[') && self.s.get(self.at + 1) != Some(&b':') {
                        self.at += 1;
                        let code = self.word();
                        self.expect(b']')?;
                        crate::TimeUnit::from_code(&code).ok_or_else(|| self.error(&format!("unknown time unit `{code}`")))?
                    } else {
                        crate::TimeUnit::Generic
                    };
                    if name == "datetime64" {
                        Type::Datetime(unit)
                    } else {
                        Type::Timedelta(unit)
                    }
                }
                "array" => {
                    self.expect(b'(')?;
                    let dtype = self.ty()?;
                    self.expect(b',')?;
                    let dims = self.word();
                    let ndim: u8 = dims.strip_suffix('d').and_then(|d| d.parse().ok()).ok_or_else(|| self.error("expected `Nd`"))?;
                    self.expect(b',')?;
                    let layout = match self.word().as_str() {
                        "C" => Layout::C,
                        "F" => Layout::F,
                        "A" => Layout::A,
                        _ => return Err(self.error("expected a layout `C`, `F` or `A`")),
                    };
                    self.expect(b')')?;
                    Type::Array(ArrayType::new(dtype, ndim, layout))
                }
                other => scalar(other).ok_or_else(|| format!("unknown type `{other}` in `{}`", String::from_utf8_lossy(self.s)))?,
            }
        };
        let t = if self.peek() == Some(b'[') { self.array_dims(t)? } else { t };
        Ok(match t {
            Type::Array(mut a) => {
                a.readonly |= readonly;
                a.aligned &= !unaligned;
                Type::Array(a)
            }
            t => t,
        })
    }

    /// The rest of `Record(x[type=float64;offset=0],n[type=int32;offset=8];12;False)`, as
    /// [`Type`]'s `Display` writes it (field names are identifiers).
    fn record(&mut self) -> Result<Type, String> {
        let keyword = |p: &mut Self, word: &str| if p.word() == word && p.eat(b'=') { Ok(()) } else { Err(p.error(&format!("expected `{word}=`"))) };
        self.expect(b'(')?;
        let mut fields = Vec::new();
        loop {
            let name = self.word();
            if name.is_empty() {
                return Err(self.error("expected a field name"));
            }
            self.expect(b'[')?;
            keyword(self, "type")?;
            let ty = self.ty()?;
            self.expect(b';')?;
            keyword(self, "offset")?;
            let offset = self.word().parse().map_err(|_| self.error("expected an offset"))?;
            self.expect(b']')?;
            fields.push(crate::RecordField { name, ty, offset });
            if self.eat(b';') {
                break;
            }
            self.expect(b',')?;
        }
        let size = self.word().parse().map_err(|_| self.error("expected the record's size"))?;
        self.expect(b';')?;
        let aligned_struct = match self.word().as_str() {
            "True" => true,
            "False" => false,
            _ => return Err(self.error("expected `True` or `False`")),
        };
        self.expect(b')')?;
        Ok(Type::Record(crate::RecordType { fields, size, aligned_struct }))
    }

    /// `[:]`, `[:, ::1]` (C), `[::1, :]` (F): one entry per dimension.
    fn array_dims(&mut self, dtype: Type) -> Result<Type, String> {
        if !dtype.is_number() && !matches!(dtype, Type::Datetime(_) | Type::Timedelta(_)) {
            return Err(self.error("only numbers can be array elements"));
        }
        self.expect(b'[')?;
        let mut contiguous = Vec::new();
        loop {
            self.expect(b':')?;
            let mut unit = false;
            if self.eat(b':') {
                if self.word() != "1" {
                    return Err(self.error("expected `::1`"));
                }
                unit = true;
            }
            contiguous.push(unit);
            if self.eat(b']') {
                break;
            }
            self.expect(b',')?;
        }
        let n = contiguous.len();
        let layout = match (contiguous.first(), contiguous.last()) {
            (_, Some(true)) if contiguous[..n - 1].iter().all(|c| !c) => Layout::C,
            (Some(true), _) if n > 1 && contiguous[1..].iter().all(|c| !c) => Layout::F,
            _ if contiguous.iter().all(|c| !c) => Layout::A,
            _ => return Err(self.error("`::1` may only mark the first or the last dimension")),
        };
        Ok(Type::Array(ArrayType::new(dtype, n as u8, layout)))
    }
}

/// Scalar names, including Numba's and NumPy's short aliases.
fn scalar(name: &str) -> Option<Type> {
    Type::from_name(name).or_else(|| {
        Some(match name {
            "b1" => Type::Bool,
            "i1" | "byte" => Type::int(8, true),
            "i2" | "short" => Type::int(16, true),
            "i4" | "intc" => Type::int(32, true),
            "i8" | "long_" | "int_" => Type::INT64,
            "u1" | "uint8_" => Type::int(8, false),
            "u2" => Type::int(16, false),
            "u4" | "uintc" => Type::int(32, false),
            "u8" => Type::UINT64,
            "f4" | "float_" => Type::FLOAT32,
            "f8" | "double" => Type::FLOAT64,
            "c8" => Type::Complex(crate::FloatType::F32),
            "c16" => Type::COMPLEX128,
            _ => return None,
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn container_names_parse_back() {
        for ty in [
            Type::List(Box::new(Type::INT64)),
            Type::Dict(Box::new(Type::Str), Box::new(Type::List(Box::new(Type::Tuple(vec![Type::INT64, Type::FLOAT64]))))),
            Type::Set(Box::new(Type::Str)),
        ] {
            assert_eq!(parse_type(&ty.to_string()), Ok(ty));
        }
    }

    #[test]
    fn numba_signature_strings() {
        let s = parse_signature("int32(int32, int32)").unwrap();
        assert_eq!(s.ret, Some(Type::int(32, true)));
        assert_eq!(s.args, vec![Type::int(32, true); 2]);
        let s = parse_signature("void(float64[:, ::1], int64[::1], f4[:])").unwrap();
        assert_eq!(s.ret, Some(Type::NoneType));
        assert_eq!(s.args[0], Type::Array(ArrayType::new(Type::FLOAT64, 2, Layout::C)));
        assert_eq!(s.args[1], Type::Array(ArrayType::new(Type::INT64, 1, Layout::C)));
        assert_eq!(s.args[2], Type::Array(ArrayType::new(Type::FLOAT32, 1, Layout::A)));
        let s = parse_signature("(UniTuple(int64 x 2), Tuple(int64, float64), float64[::1, :])").unwrap();
        assert_eq!(s.ret, None);
        assert_eq!(s.args[0], Type::Tuple(vec![Type::INT64; 2]));
        assert_eq!(s.args[2], Type::Array(ArrayType::new(Type::FLOAT64, 2, Layout::F)));
    }

    #[test]
    fn printed_names_parse_back() {
        for t in [
            Type::Array(ArrayType::new(Type::COMPLEX128, 3, Layout::F)),
            Type::Tuple(vec![Type::INT64, Type::Bool]),
            Type::Tuple(vec![Type::FLOAT32; 3]),
            Type::Array(ArrayType { aligned: false, ..ArrayType::new(Type::FLOAT64, 1, Layout::C) }),
            Type::Array(ArrayType { aligned: false, readonly: true, ..ArrayType::new(Type::int(16, false), 2, Layout::A) }),
        ] {
            assert_eq!(parse_type(&t.to_string()).unwrap(), t);
        }
    }

    #[test]
    fn slice_notation_means_aligned() {
        let s = parse_signature("void(float64[:], unaligned float64[::1], readonly unaligned int32[:, :])").unwrap();
        assert_eq!(s.args[0], Type::Array(ArrayType::new(Type::FLOAT64, 1, Layout::A)));
        assert_eq!(s.args[1], Type::Array(ArrayType { aligned: false, ..ArrayType::new(Type::FLOAT64, 1, Layout::C) }));
        assert_eq!(s.args[2], Type::Array(ArrayType { aligned: false, readonly: true, ..ArrayType::new(Type::int(32, true), 2, Layout::A) }));
    }

    #[test]
    fn errors_name_the_problem() {
        assert!(parse_signature("int32(int33)").unwrap_err().contains("unknown type `int33`"));
        assert!(parse_signature("int32(int32").is_err());
    }
}
