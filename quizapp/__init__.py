"""quizapp: quizzes generated from a dataset of agreements, with learner scores.

The package root stays light on purpose: ``import quizapp.core`` must not load Flask or
SQLAlchemy. The web app is built by ``quizapp.app.create_app``.
"""
