"""The weekly sign-off of a child's homework, and the tutor's view of it."""
