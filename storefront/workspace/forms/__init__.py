"""Forms of the workspace's screens, one module per screen."""
