"""Helpers shared by the dashboard's pages: cached report queries, the sidebar controls
(run selection, metric variants, problem filters) and Altair charts.

``streamlit run app/Home.py`` puts ``app/`` on ``sys.path``, which is how pages import
this package.
"""
