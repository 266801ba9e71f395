const { src, dest } = require('gulp');

/** Copies the node and credential icons next to the compiled code (dist/icons), where `file:` icon paths point. */
function buildIcons() {
	// encoding: false keeps binary icons intact under gulp 5 (SVG would survive either way).
	return src('icons/**/*.{png,svg}', { encoding: false }).pipe(dest('dist/icons'));
}

exports['build:icons'] = buildIcons;
