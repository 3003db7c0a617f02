"""The Streamlit page in parts: one module per page (ask, library, evaluation, course pack), shared render helpers
(render), and everything kept between reruns (state). `app.py` only wires them together."""
