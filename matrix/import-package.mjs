// Imports a package from the matrix's own install (matrix/node_modules): a bare specifier resolves
// from the importing file's folder, and this file stays in matrix/ whatever imports it (dist/ too).
export const importPackage = (name) => import(name);
