"""Wording kept as data in ``templates/``: the wording files, the one sandbox every
user-editable template renders in, and the limited process that checks a user's folder."""
