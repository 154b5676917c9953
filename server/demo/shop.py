"""Serve a small demo shop at /demo/ whose pages embed the widget as a site owner would."""

from pathlib import Path

from flask import Blueprint, abort, render_template, request, send_file
from markupsafe import Markup

from ..sites.snippet import bundle_snippet
from .seed import find_demo_site

STATIC = Path(__file__).parent / "static"

#: Every page is served under a CSP without 'unsafe-inline' to show the widget needs none.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; connect-src 'self'; style-src 'self'; "
    "img-src 'self' data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)

PRODUCTS = {
    "trail-runner": ("Trail runner shoes", "€ 129", "Grippy, light and ready for muddy paths."),
    "rain-jacket": ("Rain jacket", "€ 89", "Packs into its own pocket; keeps the storm out."),
    "day-pack": ("Day pack 20 L", "€ 59", "A back panel that breathes and room for lunch."),
}

POSTS = {
    "choosing-shoes": ("How to choose trail shoes", "Fit first, then grip, then weight."),
    "layering": ("Layering for autumn hikes", "Three thin layers beat one thick coat."),
}

bp = Blueprint("demo_shop", __name__, url_prefix="/demo", template_folder="templates")


def render_page(template: str, title: str, **context) -> str:
    """Render a demo page with the demo site's snippet in its head."""
    # Looked up on every page, so `touchpoint demo` may create the site after the server starts.
    site = find_demo_site()
    snippet = Markup(bundle_snippet(site, request.host_url)) if site else None
    return render_template(f"demo/{template}", title=title, snippet=snippet, **context)


def entry(table: dict, slug: str) -> tuple:
    """Return the post or product named `slug`, or answer 404."""
    if slug not in table:
        abort(404)
    return table[slug]


@bp.after_request
def set_content_security_policy(response):
    """Hold every demo page to a strict Content-Security-Policy."""
    response.headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
    return response


@bp.get("/shop.js")
def script():
    """Return the demo shop's script (the queue stub and the checkout's moment of truth)."""
    return send_file(STATIC / "demo-shop.js", mimetype="text/javascript")


@bp.get("/shop.css")
def stylesheet():
    """Return the demo shop's stylesheet."""
    return send_file(STATIC / "demo-shop.css", mimetype="text/css")


@bp.get("/")
def home():
    """Show the shop's front page."""
    return render_page("home.html", "Welcome", products=PRODUCTS, posts=POSTS)


@bp.get("/blog")
def blog():
    """List the blog posts (awareness)."""
    return render_page("blog.html", "Blog", posts=POSTS)


@bp.get("/blog/<slug>")
def post(slug: str):
    """Show one blog post (awareness)."""
    post = entry(POSTS, slug)
    return render_page("post.html", post[0], post=post)


@bp.get("/products")
def products():
    """List the products (consideration)."""
    return render_page("products.html", "Products", products=PRODUCTS)


@bp.get("/products/<slug>")
def product(slug: str):
    """Show one product (consideration)."""
    product = entry(PRODUCTS, slug)
    return render_page("product.html", product[0], product=product)


PLAIN_PAGES = {
    "cart": "Your cart",
    "checkout": "Checkout",
    "checkout/pay": "Payment",
    "account": "Your account",
    "orders": "Your orders",
    "review": "Write a review",
    "refer": "Refer a friend",
}


def plain_page(path: str):
    """Return the view of a page that needs nothing but its template."""

    def view():
        return render_page(f"{path.replace('/', '-')}.html", PLAIN_PAGES[path])

    view.__doc__ = f"Show the {PLAIN_PAGES[path].lower()} page."
    return view


for page_path in PLAIN_PAGES:
    bp.add_url_rule(f"/{page_path}", page_path.replace("/", "_"), plain_page(page_path))
