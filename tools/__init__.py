"""Build-time tools (not installed with the package): training the screen's classifier, generating name data."""
