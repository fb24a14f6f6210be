"""Message threads between a guardian and their child's tutor or teachers."""
