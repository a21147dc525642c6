"""newsline's command line and pipeline wiring."""
