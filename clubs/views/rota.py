"""The staff rota: volunteering, gaps, hours against the target."""
