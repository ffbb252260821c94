-- Demo data for local development.
INSERT INTO users (email, full_name) VALUES ('ada@example.com', 'Ada Lovelace');
INSERT INTO users (email, full_name) VALUES ('alan@example.com', 'Alan Turing');
