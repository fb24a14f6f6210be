"""A guardian's overview of their children, and one child's page."""
