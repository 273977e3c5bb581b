"""结果运用: reward pools and their exact allocation (002 篇一, 003)."""
