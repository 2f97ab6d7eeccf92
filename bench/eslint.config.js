// The repository's lint configuration, plus the benchmark's generated folders: the corpus cache
// and planted trees (tens of thousands of third-party files), the pinned tools and run results.
// ESLint finds the configuration nearest to each file, so this one applies under bench/.
import root from '../eslint.config.js';

export default [
  { ignores: ['.corpus/**', '.tools/**', 'results/**'] },
  ...root,
  // This file is plain JavaScript outside every tsconfig; it is linted without type information.
  { files: ['eslint.config.js'], languageOptions: { parserOptions: { projectService: false, project: false } } },
];
