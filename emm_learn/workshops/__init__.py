"""Workshops: break-out groups in rooms, participants who stay, facilitators who rotate."""
