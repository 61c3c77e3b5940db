"""Admin pages: accounts, roles, self sign-up and invitations."""
