"""Invitations (school admins invite a guardian; the guardian sets a password) and linking
a further child with a code from the school and the child's date of birth."""
