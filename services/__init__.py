"""Rules and use cases, one package per capability (cases, complaints, repairs, inquiries, people,
calendar, pushes, chats; surveys, care and reports to come), plus ``common`` for the few values
they all share. Use cases take a unit of work and plain values and return plain values; the
composition root ``capabilities`` registers case kinds, dialog completers and push rules."""
