"""Accounts: logging in and out, sign-up, invitation links, and role protection for views."""
