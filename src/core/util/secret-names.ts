/** A field or variable whose name says it holds a secret (API_KEY, DB_PASSWORD, ssh.passphrase, token). */
export const SECRET_NAME = /token|passphrase|passw(or)?d|secret|private_?key|api_?key|access_?key|credential|(^|_)auth($|_)/i;
