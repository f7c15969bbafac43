// Tailwind CSS v4 runs as a PostCSS plugin in Next's build.
export default { plugins: { '@tailwindcss/postcss': {} } };
