// Filled in by its issue; a buildable shell until then.
export {};
