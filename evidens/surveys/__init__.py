"""Surveys: questionnaires, distribution, the respondent form and monitoring (issue 3, in progress)."""
