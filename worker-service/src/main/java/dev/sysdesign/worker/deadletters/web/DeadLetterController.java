package dev.sysdesign.worker.deadletters.web;

import java.util.List;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.sysdesign.support.identity.RequiresRole;
import dev.sysdesign.worker.deadletters.DeadLetter;
import dev.sysdesign.worker.deadletters.DeadLetters;

/**
 * {@code /api/admin/dead-letters}: the messages no consumer could process, for operators
 * (role ADMIN).
 */
@RestController
@RequestMapping("/api/admin/dead-letters")
@RequiresRole("ADMIN")
class DeadLetterController {

	private final DeadLetters deadLetters;

	DeadLetterController(DeadLetters deadLetters) {
		this.deadLetters = deadLetters;
	}

	/**
	 * The most recent dead letters, newest first.
	 */
	@GetMapping
	List<DeadLetter> list(@RequestParam(defaultValue = "100") @Min(1) @Max(500) int limit) {
		return this.deadLetters.recent(limit);
	}

	/**
	 * Sends a dead letter back to its queue: 202, 404 unknown, 409 already replayed.
	 */
	@PostMapping("/{id}/replay")
	ResponseEntity<DeadLetter> replay(@PathVariable long id) {
		return ResponseEntity.status(HttpStatus.ACCEPTED).body(this.deadLetters.replay(id));
	}

}
