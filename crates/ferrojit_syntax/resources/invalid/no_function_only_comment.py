# A comment and no function.
