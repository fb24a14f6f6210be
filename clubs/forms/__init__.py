"""The clubs forms, by area: sessions (a club, its sessions, cancelling one), rota,
register."""
