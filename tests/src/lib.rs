//! drydock tests
