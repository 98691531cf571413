"""The `cwatch` CLI and the scheduler daemon: thin wrappers over the library packages."""
