"""Assessment schemes (考核方案) stored in the database, as TOML text the engine reads."""
