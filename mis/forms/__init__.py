"""The import's forms, by area: imports (upload a file, the school's DfE number) and
columns (which column of a CSV file is which field)."""
