"""Local fakes of chat platforms that speak their wire protocols, for end-to-end tests of the real SDKs."""
