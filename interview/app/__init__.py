"""The Textual app. Import `interview.app.app.InterviewApp`; screens load when first shown."""
