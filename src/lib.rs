//! stepbook
