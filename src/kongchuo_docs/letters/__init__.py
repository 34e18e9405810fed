"""Mail-merged letters (入学通知书, 劝返复学通知书, 责令限期复学通知书): settings, templates, merge engines."""
