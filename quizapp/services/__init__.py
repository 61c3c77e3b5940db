"""Transactions that join the plain-Python core to the database."""
