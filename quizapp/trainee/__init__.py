"""Trainee pages: dashboard, practice quizzes, taking an attempt, review, spaced practice."""
