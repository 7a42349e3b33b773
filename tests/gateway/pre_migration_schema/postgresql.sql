-- The gateway's schema as `Base.metadata.create_all` made it in postgresql before migrations
-- (revision 0001 must equal it; tests/gateway/test_migrations.py). Frozen: never edit.
CREATE TABLE conversations (
	id VARCHAR(36) NOT NULL, 
	created_at TIMESTAMP WITHOUT TIME ZONE NOT NULL, 
	last_activity_at TIMESTAMP WITHOUT TIME ZONE NOT NULL, 
	offered_buttons JSON NOT NULL, 
	PRIMARY KEY (id)
);

CREATE INDEX ix_conversations_last_activity_at ON conversations (last_activity_at);

CREATE TABLE counsellors (
	id SERIAL NOT NULL, 
	name VARCHAR(64) NOT NULL, 
	password_hash VARCHAR(255) NOT NULL, 
	created_at TIMESTAMP WITHOUT TIME ZONE NOT NULL, 
	PRIMARY KEY (id), 
	UNIQUE (name)
);

CREATE TABLE statistics_counts (
	id SERIAL NOT NULL, 
	day DATE NOT NULL, 
	role VARCHAR(32) NOT NULL, 
	topic VARCHAR(32) NOT NULL, 
	substance VARCHAR(32) NOT NULL, 
	outcome VARCHAR(16) NOT NULL, 
	first_outcome BOOLEAN NOT NULL, 
	count INTEGER NOT NULL, 
	PRIMARY KEY (id), 
	CONSTRAINT uq_statistics_cell UNIQUE (day, role, topic, substance, outcome, first_outcome)
);

CREATE INDEX ix_statistics_counts_day ON statistics_counts (day);

CREATE TABLE messages (
	id SERIAL NOT NULL, 
	conversation_id VARCHAR(36) NOT NULL, 
	sender VARCHAR(10) NOT NULL, 
	text TEXT, 
	buttons JSON, 
	custom JSON, 
	created_at TIMESTAMP WITHOUT TIME ZONE NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(conversation_id) REFERENCES conversations (id) ON DELETE CASCADE
);

CREATE INDEX ix_messages_conversation_id ON messages (conversation_id);

CREATE TABLE counsellor_sessions (
	id SERIAL NOT NULL, 
	token_hash VARCHAR(64) NOT NULL, 
	counsellor_id INTEGER NOT NULL, 
	csrf_token VARCHAR(64) NOT NULL, 
	created_at TIMESTAMP WITHOUT TIME ZONE NOT NULL, 
	expires_at TIMESTAMP WITHOUT TIME ZONE NOT NULL, 
	PRIMARY KEY (id), 
	UNIQUE (token_hash), 
	FOREIGN KEY(counsellor_id) REFERENCES counsellors (id) ON DELETE CASCADE
);

CREATE INDEX ix_counsellor_sessions_counsellor_id ON counsellor_sessions (counsellor_id);

CREATE INDEX ix_counsellor_sessions_expires_at ON counsellor_sessions (expires_at);

CREATE TABLE tickets (
	id SERIAL NOT NULL, 
	conversation_id VARCHAR(36) NOT NULL, 
	status VARCHAR(10) NOT NULL, 
	reason VARCHAR(32) NOT NULL, 
	priority INTEGER NOT NULL, 
	role VARCHAR(32), 
	topic VARCHAR(32), 
	substance VARCHAR(32), 
	recent_messages JSON NOT NULL, 
	start_message_id INTEGER NOT NULL, 
	counsellor_id INTEGER, 
	created_at TIMESTAMP WITHOUT TIME ZONE NOT NULL, 
	accepted_at TIMESTAMP WITHOUT TIME ZONE, 
	ended_at TIMESTAMP WITHOUT TIME ZONE, 
	PRIMARY KEY (id), 
	FOREIGN KEY(conversation_id) REFERENCES conversations (id) ON DELETE CASCADE, 
	FOREIGN KEY(counsellor_id) REFERENCES counsellors (id) ON DELETE SET NULL
);

CREATE INDEX ix_tickets_status ON tickets (status);

CREATE INDEX ix_tickets_conversation_id ON tickets (conversation_id);

CREATE TABLE statistics_conversations (
	conversation_id VARCHAR(36) NOT NULL, 
	counted JSON NOT NULL, 
	role VARCHAR(32), 
	topic VARCHAR(32), 
	substance VARCHAR(32), 
	PRIMARY KEY (conversation_id), 
	FOREIGN KEY(conversation_id) REFERENCES conversations (id) ON DELETE CASCADE
);
