"""The dialogs: consent, export, settings, studies, first run and unlock, withdraw, app picker."""
