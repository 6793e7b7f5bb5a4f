"""Jobs: the work that commits in steps and runs on a schedule (the check run and its sending, the Gazelle run).

The one named exception to the commit policy; domains never import it."""
