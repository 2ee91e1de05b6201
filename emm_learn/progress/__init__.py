"""Learning progress: sections marked done, chapters completed, where a learner left off."""
