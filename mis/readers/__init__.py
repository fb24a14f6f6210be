"""Readers turn an uploaded file into rows a kind compares with the school's records:
csv.py for the CSV kinds, ctf.py for the Common Transfer File."""
