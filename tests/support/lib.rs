//! Support shared by the workspace tests.
