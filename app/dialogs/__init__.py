"""The dialogs: consent, export, settings, studies, vault (first run, unlock), withdraw, window picker."""
