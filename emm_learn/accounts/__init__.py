"""Accounts: users and roles, signing in and out, passwords, sign-in throttling, first set-up."""
