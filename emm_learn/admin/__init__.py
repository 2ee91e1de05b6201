"""Administration: the user list (roles, deactivation, temporary passwords) and site settings."""
