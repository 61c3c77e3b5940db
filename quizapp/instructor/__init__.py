"""Instructor pages: for now, inviting trainees."""
