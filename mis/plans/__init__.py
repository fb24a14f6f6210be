"""Plans compare a file's rows with the school's and write them: pupils.py (pupils and
contacts, shared by the CTF and the CSV pupils kind), and one module per other CSV kind."""
