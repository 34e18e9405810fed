"""Where files come from and go: the bundled data folders (`resources`), safe file names made from
user text (`filenames`), and a run's outputs written all or nothing with their manifest (`output`)."""
