"""The API's resources, one module each, on the generic machinery of `base`."""
