"""Turn stored responses into insight: stats, moments of truth, complaint themes, exports."""
