"""Language data apart from code: ``tables`` reads every curated file in backchannel/data (tables and word lists);
``gazetteer`` holds the outlets, titles and organisation words."""
