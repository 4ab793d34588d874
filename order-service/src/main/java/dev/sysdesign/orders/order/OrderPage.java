package dev.sysdesign.orders.order;

import java.util.List;

/**
 * One page of a user's orders, newest first.
 *
 * @param content the orders of the page
 * @param page the page number, from 0
 * @param size the page size
 * @param totalElements how many orders match in all
 */
public record OrderPage(List<Order> content, int page, int size, long totalElements) {

	/**
	 * The number of pages.
	 * @return ⌈totalElements / size⌉
	 */
	public long totalPages() {
		return (this.totalElements + this.size - 1) / this.size;
	}

}
